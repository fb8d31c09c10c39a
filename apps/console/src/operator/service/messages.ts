import type { MessageTable } from '../../i18n/types.js';

export const serviceMessages = {
  'service.timeline': { en: 'Phases', ja: 'フェーズ' },
  'service.sevenPayHint': {
    en: 'This sandbox replays 2019: each phase shows the day 7pay reached it.',
    ja: 'このサンドボックスは 2019 年を再現しています。各フェーズに 7pay の実際の日付を示します。',
  },
  'service.sevenPayDate': { en: '7pay: {date}', ja: '7pay：{date}' },
  'service.sevenPay.externalIds': {
    en: '7pay, 2019-07-11: sign-in with external IDs stopped (the sandbox signs in by e-mail only).',
    ja: '7pay 2019-07-11：外部 ID によるログインを停止（サンドボックスはメールアドレスのみでログイン）。',
  },
  'service.sevenPay.reset': {
    en: '7pay, 2019-07-30: every member was made to reset their password (the button below).',
    ja: '7pay 2019-07-30：全会員のパスワードを強制リセット（下のボタン）。',
  },
  'service.state.current': { en: 'now', ja: '現在' },
  'service.state.past': { en: 'past', ja: '経過' },
  'service.state.skipped': { en: 'skipped', ja: 'スキップ' },
  'service.state.scheduled': { en: 'scheduled', ja: '予定' },
  'service.state.unscheduled': { en: 'not scheduled', ja: '未定' },
  'service.transitions': { en: 'Move the service on', ja: 'フェーズを進める' },
  'service.reason': { en: 'Reason (optional, recorded with the step)', ja: '理由（任意・記録されます）' },
  'service.at': { en: 'Takes effect at (Japan time; empty for now)', ja: '実施日時（日本時間・空欄なら今すぐ）' },
  'service.now': { en: 'now', ja: '今すぐ' },
  'service.to.card_topup_suspended': { en: 'Suspend card top-ups: {when}', ja: 'カードチャージを停止：{when}' },
  'service.to.topup_suspended': { en: 'Suspend every top-up and sign-up: {when}', ja: 'すべてのチャージと新規登録を停止：{when}' },
  'service.noMoreByHand': {
    en: 'Abolition is announced: the remaining phases follow the notice’s dates.',
    ja: '廃止は発表済みです。残りのフェーズは告知の日付どおりに進みます。',
  },
  'service.abolition': { en: 'Announce abolition', ja: 'サービス廃止を発表' },
  'service.abolitionHint': {
    en: 'Dates are Japan time. The service ends at 24:00 of its last day; claims run from 00:00 of the first day to 24:00 of the last.',
    ja: '日付は日本時間です。サービスは最終日の 24:00 に終了し、払戻し申請は初日 0:00 から最終日 24:00 まで受け付けます。',
  },
  'service.terminationDay': { en: 'Last day of the service', ja: 'サービス最終日' },
  'service.claimsFromDay': { en: 'Refund claims open on', ja: '払戻し申請の開始日' },
  'service.claimsUntilDay': { en: 'Last day to claim', ja: '払戻し申請の最終日' },
  'service.claimDays': { en: 'Holders get {days} days to claim.', ja: '申請期間は {days} 日間です。' },
  'service.announce': { en: 'Announce abolition', ja: '廃止を発表する' },
  'service.law': {
    en: 'Refused by law: the Payment Services Act gives holders at least {minimum} days to claim their refund; this notice gives {days}.',
    ja: '法律により拒否されました：資金決済法では、払戻し申請期間を {minimum} 日以上設ける必要があります。この告知では {days} 日です。',
  },
  'service.notice': { en: 'The abolition notice', ja: '廃止の告知' },
  'service.delivered': { en: 'Sent to {count} customers so far.', ja: 'これまでに {count} 人へ送信済み。' },
  'service.deliveredAll': { en: 'Sent to every customer ({count}).', ja: '全利用者（{count} 人）へ送信済み。' },
  'service.reset': { en: 'Forced password reset', ja: 'パスワードの強制リセット' },
  'service.resetHint': {
    en: 'Every customer’s sessions end and their password stops signing in; each gets an e-mail and sets a new password through the reset.',
    ja: '全利用者のセッションが終了し、現在のパスワードではログインできなくなります。各利用者にメールが届き、再設定の手続きで新しいパスワードを設定します。',
  },
  'service.resetReason': { en: 'Reason for the reset (optional)', ja: 'リセットの理由（任意）' },
  'service.resetButton': { en: 'Force every customer to reset their password', ja: '全利用者のパスワードを強制リセット' },
  'service.resetDone': {
    en: 'Forced at {time}: customers are being signed out.',
    ja: '{time} に実行しました。利用者を順次ログアウトしています。',
  },
} satisfies MessageTable;
