export async function benchPgScale(dir: string): Promise<void> {
  await Promise.resolve(dir);
}
