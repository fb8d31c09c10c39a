/** Balance, available balance and history. */
export function WalletHome() {
  return <p>WalletHome</p>;
}
