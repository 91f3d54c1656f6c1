export function fromTypeScript(): string {
  return "ts";
}
