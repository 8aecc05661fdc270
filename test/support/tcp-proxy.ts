import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP server, for network faults: it can drop
 * the first connection at once (`dropFirst`), and `cutAll()` resets every connection it
 * holds, as a lost network would. Connections are counted as they open.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private opened = 0;

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  static async start(target: string, { dropFirst = false } = {}): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (socket) => {
      proxy.track(socket);
      proxy.opened += 1;
      if (dropFirst && proxy.opened === 1) return socket.destroy();
      const upstream = proxy.track(net.connect(Number(port), hostname));
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    return proxy;
  }

  /** Connections opened so far, dropped ones included. */
  get connections(): number {
    return this.opened;
  }

  /** Resets every open connection; new ones are still accepted. */
  cutAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
