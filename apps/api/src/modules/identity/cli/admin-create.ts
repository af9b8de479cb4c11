/**
 * `npm run admin:create -- --email ops@example.com [--password-stdin]`: creates the first admin, or
 * grants the admin role to an existing account (its password is then left as it is). The password
 * is prompted for without echo on a terminal, or read from stdin when piped.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemContext } from '#contracts';
import { InvalidEnvironmentError, loadEnv, PASSWORD_POLICY } from '#platform';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return input.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const mute = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write('Password: ');
  mute._writeToOutput = () => undefined;
  const password = await new Promise<string>((done) => rl.question('', done));
  rl.close();
  process.stdout.write('\n');
  return password;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  if (!values.email) {
    process.stderr.write('Usage: npm run admin:create -- --email <email>   (password prompted, or piped on stdin)\n');
    return 2;
  }
  const password = await readPassword();
  const { minLength, maxLength } = PASSWORD_POLICY;
  if (password.length < minLength || password.length > maxLength) {
    process.stderr.write(`The password must be ${minLength} to ${maxLength} characters.\n`);
    return 2;
  }
  // Loaded only now: a usage error answers at once instead of after compiling the whole API.
  const [{ NestFactory }, { AppModule }, { AccountsService }] = await Promise.all([
    import('@nestjs/core'),
    import('../../../app.module.js'),
    import('../accounts.service.js'),
  ]);
  const env = loadEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, { requireDatabase: true });
  const app = await NestFactory.createApplicationContext(AppModule.register({ env }), { logger: ['error', 'warn'] });
  try {
    const { account, created } = await app.get(AccountsService).ensureAdmin(systemContext(randomUUID()), values.email, password);
    process.stdout.write(
      created
        ? `Created admin ${account.email} (${account.id}).\n`
        : `${account.email} (${account.id}) now has the roles ${account.roles.join(', ')}; its password is unchanged.\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof InvalidEnvironmentError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`admin:create failed: ${message}\n`);
    process.exit(1);
  },
);
