import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The seed's "reuse connections" advice, checked rather than assumed: an AWS SDK v3 client (as the
 * handlers create them, once per container with default options) sends consecutive requests over
 * one kept-alive connection. (SDK v3's NodeHttpHandler creates its agents with keepAlive: true;
 * AWS_NODEJS_CONNECTION_REUSE_ENABLED was the SDK v2 switch and does nothing in v3.)
 */
describe('SDK v3 clients reuse connections', () => {
  let server: Server;
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends consecutive requests over one connection', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    for (let i = 0; i < 3; i++) await client.send(new GetItemCommand({ TableName: 't', Key: { id: { S: String(i) } } }));
    client.destroy();
    expect(requests).toBe(3);
    expect(connections).toBe(1);
  });
});
