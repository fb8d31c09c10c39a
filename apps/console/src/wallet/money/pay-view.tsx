/** The payment code (QR and Code 128) and paying a store QR. */
export function PayView() {
  return <p>PayView</p>;
}
