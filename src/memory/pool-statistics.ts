/** The statistics every pool keeps: current bytes, their peak, and the count of allocations. */
export class PoolStatistics {
  bytesAllocated = 0;
  maxMemory = 0;
  numAllocations = 0;

  didAllocate(bytes: number): void {
    this.bytesAllocated += bytes;
    this.numAllocations += 1;
    if (this.bytesAllocated > this.maxMemory) this.maxMemory = this.bytesAllocated;
  }

  didReallocate(oldBytes: number, newBytes: number): void {
    this.bytesAllocated += newBytes - oldBytes;
    this.numAllocations += 1;
    if (this.bytesAllocated > this.maxMemory) this.maxMemory = this.bytesAllocated;
  }

  didFree(bytes: number): void {
    this.bytesAllocated -= bytes;
  }
}
