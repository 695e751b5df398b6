import net from 'node:net';
import { PortInUseError } from '../errors';
import { portEnvName } from '../config';

/**
 * Fails fast, and by name, when a port is taken: better than a component dying later with an
 * EADDRINUSE deep in its own log. `host` 0.0.0.0 checks every interface (DynamoDB Local binds all).
 */
export async function assertPortFree(port: number, host: string, component: string, envComponent = component): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new PortInUseError(port, component, portEnvName(envComponent)));
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** True once something accepts TCP connections on host:port. */
export function isListening(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
