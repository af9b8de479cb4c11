// docker/k8s cannot be applied here (no cluster); this checks what can go wrong between the
// manifests and the code: variables the apps do not read or reject, probes and ports that do not
// meet, a grace period shorter than the drain, files the kustomization forgets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { envSchema, validateEnv } from '../../platform/src/config/env.schema.js';

const DIR = 'docker/k8s';
/** Read by the API bundle's loader (libs/devtools/src/api-bundle-loader.ts), not the schema. */
const LOADER_VARIABLES = ['FICUS_CODE_CACHE_DIR'];
const IMAGES: Record<string, string> = { 'ficus-api': 'docker/api.Dockerfile', 'ficus-legacy-proxy': 'docker/legacy-proxy.Dockerfile', 'ficus-legacy-php': 'docker/legacy-php.Dockerfile' };

type Doc = Record<string, any>;
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: Doc;
  livenessProbe?: Doc;
  startupProbe?: Doc;
  volumeMounts?: { name: string; mountPath: string }[];
}

const files = readdirSync(DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
const docs: Doc[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as Doc;
  }),
);
const kustomization = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as Doc;
const find = (kind: string, name: string) => {
  const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} ${name}`);
  return doc;
};
const config = find('ConfigMap', 'ficus-config').data as Record<string, string>;
const podOf = (doc: Doc) => doc.spec.template.spec as { containers: Container[]; initContainers?: Container[]; terminationGracePeriodSeconds?: number; volumes?: Doc[] };
/** The variables a container gets with their values; those from a Secret are named only (value undefined). */
const environment = (container: Container): Record<string, string | undefined> => ({
  ...(container.envFrom?.some((source) => source.configMapRef?.name === 'ficus-config') ? config : {}),
  ...Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry.value])),
});
const workloads = docs.filter((doc) => doc.kind === 'Deployment' || doc.kind === 'Job');
const ficusContainers = workloads.flatMap((doc) => podOf(doc).containers).filter((c) => c.image !== 'ficus-legacy-php');

describe('docker/k8s manifests', () => {
  it('are all listed in the kustomization, each document named, every image built from one of our Dockerfiles', () => {
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
    for (const doc of docs) expect([doc.kind, doc.metadata?.name]).toEqual([expect.any(String), expect.stringMatching(/^ficus-/)]);
    const images = workloads.flatMap((doc) => [...podOf(doc).containers, ...(podOf(doc).initContainers ?? [])].map((c) => c.image));
    expect([...new Set(images)].sort()).toEqual(Object.keys(IMAGES).sort());
    expect(kustomization.images.map((image: Doc) => image.name).sort()).toEqual(Object.keys(IMAGES).sort());
    for (const dockerfile of Object.values(IMAGES)) expect(readFileSync(dockerfile, 'utf8')).toMatch(/^FROM /m);
  });

  it('set only variables the apps read, with values their schema accepts', () => {
    const known = new Set([...Object.keys(envSchema.describe().keys as object), ...LOADER_VARIABLES]);
    for (const container of ficusContainers) {
      const env = environment(container);
      expect([container.name, Object.keys(env).filter((name) => !known.has(name))]).toEqual([container.name, []]);
      // What the Secret must hold, as the README beside the manifests describes it.
      const secrets = { DATABASE_URL: 'postgres://ficus@db:5432/ficus', REDIS_URL: 'redis://redis:6379' };
      const api = container.image === 'ficus-api' && container.name === 'api';
      expect(() => validateEnv({ ...env, ...secrets }, { requireDatabase: container.image === 'ficus-api', requireSigningKey: api })).not.toThrow();
    }
    const php = readdirSync('docker/legacy-php/src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.php'))
      .map((file) => readFileSync(join('docker/legacy-php/src', file), 'utf8'))
      .join('\n');
    for (const container of podOf(find('Deployment', 'ficus-legacy')).containers) {
      for (const { name } of container.env ?? []) expect([name, php.includes(`getenv('${name}')`)]).toEqual([name, true]);
    }
  });

  it('probe the health routes on the port each app listens on, and wait out the drain before killing', () => {
    const drainMs = Number(config.SHUTDOWN_DELAY_MS) + Number(config.SHUTDOWN_TIMEOUT_MS);
    for (const [name, portVariable] of [['ficus-api', 'PORT'], ['ficus-proxy', 'PROXY_PORT']] as const) {
      const pod = podOf(find('Deployment', name));
      const [container] = pod.containers as [Container];
      const http = container.ports!.find((port) => port.name === 'http')!;
      expect(String(http.containerPort)).toBe(environment(container)[portVariable]);
      expect(container.readinessProbe!.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe!.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.startupProbe!.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(drainMs);
    }
  });

  it('route each Service to pods that exist, on a port they name', () => {
    for (const service of docs.filter((doc) => doc.kind === 'Service')) {
      const deployment = workloads.find((doc) => doc.kind === 'Deployment' && Object.entries(service.spec.selector).every(([k, v]) => doc.spec.template.metadata.labels[k] === v));
      expect([service.metadata.name, deployment?.metadata.name]).toEqual([service.metadata.name, expect.any(String)]);
      const names = podOf(deployment!).containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of service.spec.ports) expect(names).toContain(port.targetPort);
    }
  });

  it('run a migration script that exists, mount the signing key where the API looks, and keep the route table on the volume', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    const [migrate] = podOf(find('Job', 'ficus-migrate')).containers as [Container];
    expect(migrate.command!.slice(0, 2)).toEqual(['npm', 'run']);
    expect(scripts[migrate.command![2]!]).toBeDefined();

    const [api] = podOf(find('Deployment', 'ficus-api')).containers as [Container];
    const keyDir = api.volumeMounts!.find((mount) => mount.name === 'jwt')!.mountPath;
    expect(environment(api).JWT_SIGNING_KEY_FILE!.startsWith(`${keyDir}/`)).toBe(true);
    expect(environment(api).FICUS_CODE_CACHE_DIR!.startsWith('/tmp/')).toBe(true);
    expect(api.volumeMounts!.map((mount) => mount.mountPath)).toContain('/tmp');

    const proxyPod = podOf(find('Deployment', 'ficus-proxy'));
    const routesDir = proxyPod.containers[0]!.volumeMounts!.find((mount) => mount.name === 'routes')!.mountPath;
    expect(config.PROXY_ROUTES_FILE).toBe(`${routesDir}/routes.yaml`);
    // The seed copies the table the proxy image ships.
    const shipped = /COPY --from=build \/app\/apps\/legacy-proxy\/routes\.yaml \.\/(\S+)/.exec(readFileSync(IMAGES['ficus-legacy-proxy']!, 'utf8'))![1];
    expect(proxyPod.initContainers![0]!.command!.join(' ')).toContain(`cp /app/${shipped} ${config.PROXY_ROUTES_FILE}`);
  });
});
