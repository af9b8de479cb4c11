import { ifNoneMatchHits, strongEtag } from './http-cache.js';

describe('ifNoneMatchHits', () => {
  const etag = strongEtag('{"name":"Mug"}');

  it('matches the tag itself, its weak form, a list holding it, and *', () => {
    for (const header of [etag, `W/${etag}`, `"a", ${etag}`, `"a",${etag} , "b"`, '*']) expect(ifNoneMatchHits(header, etag)).toBe(true);
  });

  it('does not match other tags, an unquoted tag or no header', () => {
    for (const header of [undefined, '', '"a"', `W/"a", "b"`, etag.slice(1, -1), strongEtag('{"name":"Cup"}')]) {
      expect(ifNoneMatchHits(header, etag)).toBe(false);
    }
  });
});

describe('strongEtag', () => {
  it('is a quoted hash of the body, equal for equal bodies', () => {
    expect(strongEtag('a')).toBe(strongEtag(Buffer.from('a')));
    expect(strongEtag('a')).not.toBe(strongEtag('b'));
    expect(strongEtag('a')).toMatch(/^"[\w-]+"$/);
  });
});
