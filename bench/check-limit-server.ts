/**
 * The machine's limit for the check benchmark (issue 16): plain node:http answering the same check from
 * an in-memory map (the department's live tasks by subject, read once at start), with no framework,
 * auth, validation, check log or database on the request path. The product is measured against it.
 */
import http from 'node:http';
import { MongoClient } from 'mongodb';

interface Found {
  entryId: string;
  entry: unknown;
  measures: unknown;
}

async function main() {
  process.once('SIGTERM', () => process.exit(0));
  const client = await MongoClient.connect(process.env.MONGODB_URI!);
  const bySubject = new Map<string, Found[]>();
  const cursor = client
    .db()
    .collection('tasks')
    .find(
      { departmentId: 'tax', status: { $in: ['pending', 'acknowledged'] } },
      { projection: { _id: 0, subjectId: 1, entryId: 1, entry: 1, measures: 1 } },
    );
  for await (const t of cursor) {
    const found = { entryId: t.entryId as string, entry: t.entry, measures: t.measures };
    const list = bySubject.get(t.subjectId as string);
    if (list) list.push(found);
    else bySubject.set(t.subjectId as string, [found]);
  }
  await client.close();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const { subjectId } = JSON.parse(body);
        const entries = bySubject.get(subjectId) ?? [];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ result: entries.length ? 'hit' : 'clear', entries }));
      } catch (e) {
        res.writeHead(400);
        res.end(String(e));
      }
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
}
void main();
