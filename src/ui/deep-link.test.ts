import { describe, expect, it } from 'vitest';
import { deepLinkFragment, isEmbed, readDeepLink, type DeepLink } from './deep-link';
import { appUrls } from './embed-link';

describe('deep links', () => {
  it('reads each form and writes it back', () => {
    const links: [string, DeepLink][] = [
      ['#lesson=rotation-client-first', { kind: 'lesson', id: 'rotation-client-first' }],
      ['#compare=compare-seed-question', { kind: 'compare', script: 'compare-seed-question', a: null, b: null }],
      [
        '#compare=compare-dpop&a=static-refresh&b=dpop-bound',
        { kind: 'compare', script: 'compare-dpop', a: 'static-refresh', b: 'dpop-bound' },
      ],
      ['#compare=compare-dpop&b=script', { kind: 'compare', script: 'compare-dpop', a: null, b: 'script' }],
      ['#s=abc', { kind: 'share', fragment: '#s=abc' }],
    ];
    for (const [hash, link] of links) {
      expect(readDeepLink(hash), hash).toEqual(link);
      expect(deepLinkFragment(link)).toBe(hash);
    }
  });

  it('refuses malformed ids and parameters instead of passing them on', () => {
    for (const hash of [
      '',
      '#',
      '#lesson=',
      '#lesson=../x',
      '#lesson=<b>',
      '#lesson=A',
      '#compare=x&c=y',
      '#compare=x&a=',
      '#compare=x&a=y&a=z',
      '#compare=&a=y',
      '#other=1',
    ]) {
      expect(readDeepLink(hash), hash).toBeNull();
    }
  });

  it('knows an embed and builds the app and embed addresses of a page', () => {
    expect(isEmbed('?embed=1')).toBe(true);
    expect(isEmbed('?x=2&embed=1')).toBe(true);
    expect(isEmbed('?embed=0')).toBe(false);
    expect(isEmbed('')).toBe(false);
    expect(appUrls({ origin: 'https://h.example', pathname: '/a/b/', search: '?embed=1' })).toEqual({
      app: 'https://h.example/a/b/',
      embed: 'https://h.example/a/b/?embed=1',
    });
    expect(appUrls({ origin: 'https://h.example', pathname: '/', search: '?lang=en' })).toEqual({
      app: 'https://h.example/?lang=en',
      embed: 'https://h.example/?lang=en&embed=1',
    });
  });
});
