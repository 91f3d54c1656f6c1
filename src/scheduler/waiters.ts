/** Callers waiting for one condition (idle, room in the queue); all released at once. */
export class Waiters {
  #resolvers: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#resolvers.push(resolve));
  }

  releaseAll(): void {
    if (this.#resolvers.length === 0) return;
    const resolvers = this.#resolvers;
    this.#resolvers = [];
    for (const resolve of resolvers) resolve();
  }
}
