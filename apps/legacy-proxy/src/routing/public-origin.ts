import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a backend says about itself, as the public sees the proxy: an absolute `Location` on a
 * backend's own (internal) origin is moved to the origin the client used, and a cookie scoped to
 * a backend's host (`Domain=legacy`) to the public host. Anything else passes untouched.
 */
export class PublicOrigin {
  private readonly internalOrigins: Set<string>;
  private readonly internalHosts: Set<string>;

  constructor(backendUrls: string[]) {
    const urls = backendUrls.map((url) => new URL(url));
    this.internalOrigins = new Set(urls.map((url) => url.origin));
    this.internalHosts = new Set(urls.map((url) => url.hostname.toLowerCase()));
  }

  rewrite(headers: IncomingHttpHeaders, publicProtocol: string, publicHost: string | undefined): IncomingHttpHeaders {
    const location = headers.location;
    const absolute = typeof location === 'string' && /^https?:\/\//i.test(location);
    if (!publicHost || (!absolute && headers['set-cookie'] === undefined)) return headers;
    const result = { ...headers };
    if (absolute) {
      try {
        const target = new URL(location as string);
        if (this.internalOrigins.has(target.origin)) result.location = `${publicProtocol}://${publicHost}${target.pathname}${target.search}${target.hash}`;
      } catch {
        // not a URL we can read: leave it
      }
    }
    // undici gives one cookie as a string, several as an array
    const given: unknown = headers['set-cookie'];
    const cookies = typeof given === 'string' ? [given] : (given as string[] | undefined);
    if (cookies) {
      const hostname = publicHost.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      result['set-cookie'] = cookies.map((cookie) =>
        cookie.replace(/(;\s*domain=)\.?([^;]+)/i, (whole, prefix: string, domain: string) => (this.internalHosts.has(domain.trim().toLowerCase()) ? `${prefix}${hostname}` : whole)),
      );
    }
    return result;
  }
}
