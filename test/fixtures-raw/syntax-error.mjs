/** A task module with a syntax error on line 5, column 18, for the load-failure tests. */
export function fine() {
  return 1;
}
const broken = 1 2;
