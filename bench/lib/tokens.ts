import { readFileSync } from 'node:fs';
import { signAccessToken } from '../../libs/testing/src/tokens.js';

/** An admin access token signed with the bench key the API under test was started with. */
export const adminToken = (baseUrl: string, keyFile: string): Promise<string> => signAccessToken(baseUrl, readFileSync(keyFile, 'utf8'));
