/** Top-up on every channel. */
export function TopUpView() {
  return <p>TopUpView</p>;
}
