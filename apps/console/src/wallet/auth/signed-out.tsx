/** Signed out: register, sign in, reset request. */
export function SignedOut() {
  return <p>SignedOut</p>;
}
