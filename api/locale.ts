/** User-facing validation messages in Simplified Chinese (zod's own zh-CN locale). */
import { z } from 'zod';

z.config(z.locales.zhCN());
