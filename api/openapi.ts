/** OpenAPI 3.1 document generated from the route definitions' zod schemas (zod's own JSON Schema output). */
import { z } from 'zod';
import type { AnyRoute } from './route';
import { ErrorBody } from './errors';

const jsonSchema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const STATUS_TEXT: Record<number, string> = {
  400: '输入有误（字段与原因见 error.details）',
  401: '未登录或令牌无效',
  403: '无权操作',
  404: '不存在',
  409: '状态冲突（如重复签收、已结束）',
  413: '请求体过大',
  415: '不支持的内容类型',
  422: '输入符合格式但不符合规则或条件（原因见 error.details）',
  429: '请求过于频繁',
};

/** A non-JSON body: text for text/* types, bytes otherwise. */
const binary = (mediaType: string) =>
  mediaType.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' };

function parameters(r: AnyRoute) {
  const out: object[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

export function buildOpenApi(
  routes: AnyRoute[],
  prefix: string,
  info: { title: string; version: string; description: string },
) {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const p = (prefix + r.path).replace(/:([A-Za-z]+)/g, '{$1}');
    const success = r.produces
      ? { [r.produces]: { schema: binary(r.produces) } }
      : {
          'application/json': { schema: jsonSchema(r.response, 'output') },
          ...Object.fromEntries((r.alsoProduces ?? []).map((t) => [t, { schema: binary(t) }])),
        };
    const responses: Record<string, object> = {};
    for (const code of [r.status ?? 200, ...(r.alsoStatus ?? [])]) {
      responses[String(code)] = { description: '成功', content: success };
    }
    // every route is rate-limited (429); a route with input may refuse it by a rule its schema cannot express (422)
    const input = r.body || r.query || r.rawBody ? [422] : [];
    const codes = [400, ...(r.roles.includes('public') ? [] : [401, 403]), ...input, 429, ...(r.errors ?? [])];
    for (const code of [...new Set(codes)].sort()) {
      responses[String(code)] = {
        description: STATUS_TEXT[code] ?? '错误',
        content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } },
      };
    }
    paths[p] ??= {};
    paths[p][r.method] = {
      tags: [r.tag],
      summary: r.summary,
      description: r.roles.includes('public') ? '公开接口，无需登录' : `可调用角色：${r.roles.join(', ')}`,
      parameters: parameters(r),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } }
        : {}),
      ...(r.rawBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(r.rawBody.types.map((t) => [t, { schema: binary(t) }])),
            },
          }
        : {}),
      responses,
      security: r.roles.includes('public') ? [] : [{ bearer: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
