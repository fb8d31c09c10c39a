/** Sessions, devices, TOTP, password change, sign out. */
export function AccountView() {
  return <p>AccountView</p>;
}
