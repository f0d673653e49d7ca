/**
 * User-facing validation messages in Simplified Chinese: zod's own zh-CN locale, with plainer wording
 * for text lengths (the locale says “数值过小” for a short string).
 */
import { z } from 'zod';

z.config(z.locales.zhCN());
z.config({
  customError: (issue) => {
    if (issue.code === 'too_small' && issue.origin === 'string') return `至少需要 ${issue.minimum} 个字`;
    if (issue.code === 'too_big' && issue.origin === 'string') return `不能超过 ${issue.maximum} 个字`;
    if (issue.code === 'too_small' && issue.origin === 'array') return `至少需要 ${issue.minimum} 项`;
    if (issue.code === 'too_big' && issue.origin === 'array') return `不能超过 ${issue.maximum} 项`;
    return undefined;
  },
});
