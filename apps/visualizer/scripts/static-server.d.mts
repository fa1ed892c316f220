/** Content types of the files a Vite build writes, by extension. */
export declare const CONTENT_TYPES: Readonly<Record<string, string>>;
/** Maps a request path to a file under root, or null when it would leave root or is malformed. */
export declare function resolveRequestPath(root: string, urlPath: string): string | null;
/** A running server. */
export interface StaticServer {
  /** `http://host:port/`. */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Ends open connections and stops listening. */
  close(): Promise<void>;
}
/** Starts serving a directory (port 0: any free one; default 4173 on 127.0.0.1). */
export declare function startStaticServer(options: {
  root: string;
  port?: number;
  host?: string;
}): Promise<StaticServer>;
