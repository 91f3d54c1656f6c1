/** Stands in for a real thumbnail: the path it would write. */
export function thumbnail(path: string): string {
  return path.replace(/\.jpg$/, '.thumb.jpg');
}
