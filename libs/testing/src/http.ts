import type { INestApplication } from '@nestjs/common';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port; tests talk to it over real HTTP. */
export async function listen(app: INestApplication): Promise<Running> {
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, close: () => app.close() };
}

/** A response body for assertions; `any` on purpose, the matchers check its shape. */
export async function body(response: Response): Promise<any> {
  return response.json();
}
