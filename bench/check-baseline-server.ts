/**
 * Baseline for the check benchmark: plain node:http + the MongoDB driver doing the same indexed lookup
 * (the department's live tasks of the subject), with no framework, auth, validation or check log.
 */
import http from 'node:http';
import { MongoClient } from 'mongodb';

async function main() {
  process.once('SIGTERM', () => process.exit(0)); // a normal exit, so that --cpu-prof writes its profile
  const client = await MongoClient.connect(process.env.MONGODB_URI!);
  const tasks = client.db().collection('tasks');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on(
      'end',
      () =>
        void (async () => {
          try {
            const { subjectId } = JSON.parse(body);
            const found = await tasks
              .find(
                { subjectId, departmentId: 'tax', status: { $in: ['pending', 'acknowledged'] } },
                { projection: { _id: 0, entryId: 1, entry: 1, measures: 1 } },
              )
              .toArray();
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ result: found.length ? 'hit' : 'clear', entries: found }));
          } catch (e) {
            res.writeHead(500);
            res.end(String(e));
          }
        })(),
    );
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
}
void main();
