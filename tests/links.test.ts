import { describe, expect, it } from 'vitest';
import { findLinks } from '../bot/core/commands/links.js';
import { normalize } from '../bot/core/commands/parse.js';

const urls = (text: string) => findLinks(normalize(text)).map((l) => l.url ?? `refused:${l.refused}`);

describe('links in what liaisons type', () => {
  it.each([
    ['完成 T5 链接：https://www.yiyuan.gov.cn/a.html。', ['https://www.yiyuan.gov.cn/a.html']],
    ['网址:www.yiyuan.gov.cn/x（已公开）', ['https://www.yiyuan.gov.cn/x']],
    ['地址：yiyuan.gov.cn/art/1.html，请查收', ['https://yiyuan.gov.cn/art/1.html']],
    ['【mp.weixin.qq.com/s/AbC-d_e】', ['https://mp.weixin.qq.com/s/AbC-d_e']],
    ['「https://x.gov.cn/a?b=1&c=2」，谢谢', ['https://x.gov.cn/a?b=1&c=2']],
    ['<https://x.gov.cn/a>', ['https://x.gov.cn/a']],
    ['[https://x.gov.cn/a]', ['https://x.gov.cn/a']],
    ['(https://en.wikipedia.org/wiki/A_(b))', ['https://en.wikipedia.org/wiki/A_(b)']],
    ['https://x.gov.cn/a.html请查收', ['https://x.gov.cn/a.html']],
    ['ｈｔｔｐｓ：／／ｘ.gov.cn／ａ', ['https://x.gov.cn/a']],
    ['T5:https://x.gov.cn/q, http://y.gov.cn/z.', ['https://x.gov.cn/q', 'http://y.gov.cn/z']],
    ['https://x.gov.cn/a，https://y.gov.cn/b、www.z.cn/c', ['https://x.gov.cn/a', 'https://y.gov.cn/b', 'https://www.z.cn/c']],
    ['8.11 2023.8.11 T5.html 10:00 a@b.com 完成', []],
    ['javascript:alert(1)', ['refused:scheme']],
    ['ftp://x.gov.cn/a', ['refused:scheme']],
    ['http://x', ['refused:scheme']],
    [`https://x.gov.cn/${'a'.repeat(2000)}`, ['refused:long']],
  ])('%s', (text, expected) => {
    expect(urls(text)).toEqual(expected);
  });
});
