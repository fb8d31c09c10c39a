import { describe, expect, test } from '@jest/globals';
import { buildMpm, clip, crc16, parseMpm, parseTlv, tlv } from './emv.js';

/** The example payload of EMVCo's Merchant-Presented Mode specification (v1.1), Chinese alternate-language template included. */
const EMVCO_EXAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING' +
  '64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

/** A JPQR store code with a Japanese merchant name, from mercari/go-emv-code's JPQR tests. */
const JPQR_EXAMPLE =
  '0002016003xxx01021129300012D156000000000510A93FO3230Q31280012D1560000000103081234567826680019jp.or.paymentsjapan' +
  '01130000000000001020400010306000001040600000153033925903xxx64180002JA0108メルペイ カフェ520441115802JP610710661436304DEE9';

describe('EMVCo merchant-presented payloads', () => {
  test('the CRC is CRC-16/CCITT-FALSE: its check value, and the CRC of published payloads', () => {
    expect(parseInt(crc16('123456789'), 16)).toBe(0x29b1);
    for (const payload of [EMVCO_EXAMPLE, JPQR_EXAMPLE]) expect(crc16(payload.slice(0, -4))).toBe(payload.slice(-4));
  });

  test('lengths count characters, as the published payloads do, so they decode and encode alike', () => {
    const jpqr = parseTlv(JPQR_EXAMPLE.slice(0, -8));
    expect(jpqr.get('64')).toBe('0002JA0108メルペイ カフェ');
    expect(parseTlv(jpqr.get('64') as string).get('01')).toBe('メルペイ カフェ');
    expect(tlv('64', tlv('00', 'JA') + tlv('01', 'メルペイ カフェ'))).toBe('64180002JA0108メルペイ カフェ');
    expect(parseTlv(parseTlv(EMVCO_EXAMPLE.slice(0, -8)).get('64') as string).get('01')).toBe('最佳运输');
  });

  test('long names are clipped to whole characters within the fields’ limits, and the payload decodes back', () => {
    const terminalLabel = 'セブンイレブン銀座一丁目店の二番レジ横セルフ端末機'; // 25 characters, 75 UTF-8 bytes
    const payload = buildMpm({
      storeId: 'str_01kaxq3m5v8c0000000000000000',
      storeCodeId: 'stc_01kaxq3m5v8c0000000000000000',
      merchantName: '🏪'.repeat(30),
      merchantCity: '東京都中央区銀座一丁目二番三号ビル',
      categoryCode: '5411',
      amount: 880,
      terminalLabel,
    });
    expect(parseMpm(payload)).toMatchObject({
      merchantName: '🏪'.repeat(25),
      merchantCity: '東京都中央区銀座一丁目二番三号',
      terminalLabel,
      amount: 880,
    });
    expect(clip('a🏪b', 2)).toBe('a🏪');
  });
});
