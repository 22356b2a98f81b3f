import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBuffer } from '../src/decode.js';

const chinese = '# 数据库配置：订单中心\nspring.datasource.username=订单用户\n';

describe('decodeBuffer', () => {
  it('reads GBK text with Chinese comments', () => {
    const d = decodeBuffer(iconv.encode(chinese, 'gbk'));
    expect(d).toMatchObject({ ok: true, text: chinese });
  });
  it('reads GB18030', () => {
    expect(decodeBuffer(iconv.encode(chinese, 'gb18030'))).toMatchObject({ ok: true, text: chinese });
  });
  it('strips a UTF-8 BOM', () => {
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a=1')]))).toEqual({ ok: true, text: 'a=1', encoding: 'utf-8-bom' });
  });
  it('reads UTF-16 with and without a BOM', () => {
    const text = 'ConnectionStrings: Server=db;Database=x\r\n'.repeat(4);
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))).toMatchObject({ ok: true, text });
    expect(decodeBuffer(iconv.encode(text, 'utf-16le'))).toMatchObject({ ok: true, text });
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]))).toMatchObject({ ok: true, text });
  });
  it('calls NUL-laden and control-byte data binary, even with keywords inside', () => {
    expect(decodeBuffer(Buffer.concat([Buffer.from('SQLite format 3\0jdbc:mysql://h/d'), Buffer.alloc(100)]))).toMatchObject({ ok: false, reason: 'binary' });
    const controls = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? 0x01 : 0x41 + (i % 20))));
    expect(decodeBuffer(controls)).toMatchObject({ ok: false, reason: 'binary' });
  });
  it('reads Latin-1 text that is not valid UTF-8', () => {
    const d = decodeBuffer(iconv.encode('# configuración\nurl=jdbc:postgresql://h/inventario\n', 'latin1'));
    expect(d.ok && d.text.includes('configuración')).toBe(true);
  });
});
