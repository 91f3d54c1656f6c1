export function where(): string {
  return 'next to main.ts';
}
