/** Starting the API's HTTP server: resolves once it listens, rejects with an actionable message if not. */
import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * Express's `listen` hands a listen error (e.g. the port is taken) to its callback as well, so a
 * callback that ignores its argument would report success. This one tells the two apart.
 */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (!err) {
        // later server errors (e.g. out of file descriptors on accept) are logged, not swallowed
        server.on('error', (e) => console.error('[api] server error:', e));
        return resolve(server);
      }
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is already in use; stop what uses it or set PORT to another port`));
      } else reject(err);
    });
  });
}
