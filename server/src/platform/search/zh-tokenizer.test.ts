import { describe, expect, it } from 'vitest';
import { charLayer, searchDocument, searchTerms, wordLayer } from './zh-tokenizer.ts';

describe('Chinese tokenizer', () => {
  it('splits Han characters and keeps latin words and addresses', () => {
    expect(charLayer('深圳VPN证书过期')).toBe('深 圳 vpn 证 书 过 期');
    expect(charLayer('服务器 10.0.0.1 宕机!')).toBe('服 务 器 10.0.0.1 宕 机');
  });
  it('adds Intl.Segmenter words for ranking', () => {
    expect(wordLayer('服务器磁盘空间不足').split(' ')).toEqual(expect.arrayContaining(['磁盘', '空间']));
  });
  it('normalises query terms like the document', () => {
    expect(searchTerms('  据库宕  VPN 宕机 宕')).toEqual([
      { phrase: '据 库 宕', bigrams: '据库 库宕' },
      { phrase: 'vpn', bigrams: null },
      { phrase: null, bigrams: '宕机' },
      { phrase: '宕', bigrams: null },
    ]);
    expect(searchTerms('!!!')).toEqual([]);
    const doc = searchDocument('INC000001', '登录失败', null);
    expect(doc).toContain('登 录 失 败');
    expect(doc).toContain('登录 录失 失败');
  });
});
