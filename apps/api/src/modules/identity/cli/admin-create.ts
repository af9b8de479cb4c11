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
import { PASSWORD_POLICY } from '#platform';
import { runCommand, withApiContext } from '../../../cli/api-command.js';

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
  const email = values.email;
  if (!email) {
    process.stderr.write('Usage: npm run admin:create -- --email <email>   (password prompted, or piped on stdin)\n');
    return 2;
  }
  const password = await readPassword();
  const { minLength, maxLength } = PASSWORD_POLICY;
  if (password.length < minLength || password.length > maxLength) {
    process.stderr.write(`The password must be ${minLength} to ${maxLength} characters.\n`);
    return 2;
  }
  return withApiContext(async (app) => {
    const { AccountsService } = await import('../accounts.service.js');
    const { account, created } = await app.get(AccountsService).ensureAdmin(systemContext(randomUUID()), email, password);
    process.stdout.write(
      created
        ? `Created admin ${account.email} (${account.id}).\n`
        : `${account.email} (${account.id}) now has the roles ${account.roles.join(', ')}; its password is unchanged.\n`,
    );
    return 0;
  });
}

runCommand('admin:create', main);
