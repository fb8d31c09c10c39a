import type { MessageTable } from '../../i18n/types.js';

export const authMessages = {
  'auth.signIn.heading': { en: 'Sign in', ja: 'ログイン' },
  'auth.signIn.explain': {
    en: 'Sign in on this phone. A phone that has not passed a code before gets one by SMS.',
    ja: 'この携帯電話でログインします。初めての端末では SMS で確認コードが届きます。',
  },
  'auth.signIn.device': { en: 'This phone’s app id: …{device}', ja: 'この端末のアプリ ID：…{device}' },
  'auth.signIn.submit': { en: 'Sign in', ja: 'ログイン' },
  'auth.email': { en: 'E-mail address', ja: 'メールアドレス' },
  'auth.password': { en: 'Password', ja: 'パスワード' },
  'auth.phone': { en: 'Mobile phone (+81…)', ja: '携帯電話番号（+81…）' },
  'auth.phone.hint': {
    en: 'International form: +81, then the number without its first 0 (090-1234-5678 → +819012345678).',
    ja: '国際形式で入力：+81 のあとに先頭の 0 を除いた番号（090-1234-5678 → +819012345678）。',
  },
  'auth.birthday': { en: 'Date of birth (optional)', ja: '生年月日（任意）' },
  'auth.toRegister': { en: 'Create an account', ja: '新規登録' },
  'auth.toSignIn': { en: 'Back to sign-in', ja: 'ログインに戻る' },
  'auth.toForgot': { en: 'Forgot your password?', ja: 'パスワードをお忘れの方' },
  'auth.register.heading': { en: 'Create an account', ja: 'アカウント登録' },
  'auth.register.explain': {
    en: 'Your wallet opens with the account. Codes for signing in on a new phone go to this mobile number.',
    ja: 'アカウントと同時にウォレットが作られます。新しい端末でのログイン用コードはこの電話番号に届きます。',
  },
  'auth.register.submit': { en: 'Register and sign in', ja: '登録してログイン' },
  'auth.register.done': {
    en: 'Account created. Signing you in on this phone…',
    ja: 'アカウントを作成しました。この端末でログインしています…',
  },
  'auth.password.show': { en: 'Show password', ja: 'パスワードを表示' },
  'auth.password.rule': {
    en: 'At least {min} characters. No rules about digits or symbols; a long phrase is best. Common passwords are refused.',
    ja: '{min} 文字以上。数字や記号の決まりはありません。長いフレーズがおすすめです。よく使われるパスワードは使えません。',
  },
  'auth.password.short': { en: '{length} of at least {min} characters', ja: '{length} 文字（{min} 文字以上必要）' },
  'auth.password.long': { en: 'Too long: at most {max} characters', ja: '長すぎます：{max} 文字まで' },
  'auth.password.common': {
    en: 'Too common: it is in lists of breached passwords, so it will be refused. Choose another.',
    ja: 'よく使われるパスワードです。流出したパスワードの一覧にあるため使えません。別のものにしてください。',
  },
  'auth.password.checking': { en: 'Checking against breached passwords…', ja: '流出パスワードの一覧と照合しています…' },
  'auth.password.ok': {
    en: 'Good: {length} characters, not in the lists of breached passwords.',
    ja: '問題ありません：{length} 文字、流出パスワードの一覧にもありません。',
  },
  'auth.password.okLegacy': {
    en: '{length} characters. legacy-2019 accepts common passwords too, as 7pay did.',
    ja: '{length} 文字。legacy-2019 では 7pay と同じく、よく使われるパスワードも通ります。',
  },
  'auth.code.heading': { en: 'Enter the code', ja: '確認コードの入力' },
  'auth.code.sms': {
    en: 'This phone is new to your account. We sent a 6-digit code by SMS to {to}.',
    ja: 'この端末は初めてのログインです。{to} に SMS で 6 桁の確認コードを送りました。',
  },
  'auth.code.totp': {
    en: 'This phone is new to your account. Enter the 6-digit code your authenticator app shows now.',
    ja: 'この端末は初めてのログインです。認証アプリに表示されている 6 桁のコードを入力してください。',
  },
  'auth.code.inbox': { en: 'Read the SMS in the Inbox (new tab)', ja: '受信箱で SMS を見る（新しいタブ）' },
  'auth.code.label': { en: '6-digit code', ja: '6 桁のコード' },
  'auth.code.submit': { en: 'Confirm and sign in', ja: '確認してログイン' },
  'auth.code.resend': { en: 'Send a new code', ja: 'コードを再送する' },
  'auth.forgot.heading': { en: 'Reset your password', ja: 'パスワードの再設定' },
  'auth.forgot.explain': {
    en: 'We e-mail a link to set a new password to the address registered for the account.',
    ja: '登録されているメールアドレスに、新しいパスワードを設定するためのリンクを送ります。',
  },
  'auth.forgot.legacyLegend': { en: 'legacy-2019: 7pay’s reset check', ja: 'legacy-2019：7pay の本人確認' },
  'auth.forgot.legacy': {
    en: 'As in 2019: when the date of birth and phone number match, the link goes to any address typed below.',
    ja: '2019 年当時と同じく、生年月日と電話番号が合えば、下に入力した任意のアドレスにリンクが送られます。',
  },
  'auth.forgot.sendTo': { en: 'Send the link to (optional)', ja: 'リンクの送信先（任意）' },
  'auth.forgot.submit': { en: 'E-mail me a reset link', ja: '再設定リンクを送る' },
  'auth.forgot.sent': {
    en: 'If an account matches, a reset link is on its way. Open it from the Inbox.',
    ja: '該当するアカウントがあれば再設定リンクを送りました。受信箱から開いてください。',
  },
  'auth.signedOut.session_ended': {
    en: 'Signed out: your session ended (signed out elsewhere, on another phone, or by a password reset). Sign in again.',
    ja: 'ログアウトしました：セッションが終了しました（他の端末でのログイン、ログアウト、パスワード再設定など）。もう一度ログインしてください。',
  },
  'auth.signedOut.password_changed': {
    en: 'Password changed. Every session has ended: sign in again with the new password.',
    ja: 'パスワードを変更しました。すべてのセッションが終了したので、新しいパスワードでログインしてください。',
  },
  'auth.reset.heading': { en: 'Set a new password', ja: '新しいパスワードの設定' },
  'auth.reset.explain': {
    en: 'Choose a new password for your account. Every session ends, and each phone must pass a code again.',
    ja: 'アカウントの新しいパスワードを決めてください。すべてのセッションが終了し、各端末で再度確認コードが必要になります。',
  },
  'auth.reset.newPassword': { en: 'New password', ja: '新しいパスワード' },
  'auth.reset.submit': { en: 'Set the new password', ja: 'パスワードを設定' },
  'auth.reset.noToken': {
    en: 'This link has no reset token. Open the link from the reset e-mail again, or ask for a new one.',
    ja: 'このリンクには再設定用のトークンがありません。メールのリンクを開き直すか、新しいリンクを請求してください。',
  },
  'auth.reset.done': {
    en: 'Your password was changed. Every session has ended; sign in with the new password.',
    ja: 'パスワードを変更しました。すべてのセッションが終了しました。新しいパスワードでログインしてください。',
  },
  'auth.reset.toWallet': { en: 'Go to the wallet app to sign in', ja: 'ウォレットアプリでログインする' },
} satisfies MessageTable;
