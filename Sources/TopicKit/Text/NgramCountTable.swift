#if canImport(Glibc)
import Glibc
#endif

/// A slot of an `NgramCountTable`: a packed n-gram key followed by what is counted for it, all plain integers;
/// a slot of zero bits is empty.
protocol NgramCountSlot {
    var key: UInt64 { get }
}

/// Open addressing over packed n-gram keys (`NgramPacker`, never 0) with each key's counts inline in its slot,
/// so counting a key touches one slot; linear probing, at most half full. The slot layout is the user's
/// (`ChunkNgramTable.Slot`, `TermCountsAccumulator.Slot`); a copy never shares the slots it writes.
///
/// Keys are counted in batches: `prefetchHomes` starts loading the home slots of a batch first so their cache
/// misses overlap, then `slot(for:from:)` probes from each home.
struct NgramCountTable<Slot: NgramCountSlot> {
    private final class Storage {
        let slots: UnsafeMutablePointer<Slot>
        let size: Int
        /// Zeroed by writing (all slots empty): `calloc` would leave fresh pages untouched, and the first probe
        /// reading a page then writing it costs two page faults instead of one.
        init(size: Int) {
            self.size = size
            let bytes = size * MemoryLayout<Slot>.stride
            let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<Slot>.alignment)
            memset(memory, 0, bytes)
            slots = memory.bindMemory(to: Slot.self, capacity: size)
        }
        deinit { UnsafeMutableRawPointer(slots).deallocate() }
    }

    private var storage: Storage
    /// Keys in the table (kept by the caller, which numbers them).
    var count = 0

    /// A table for `capacity` keys before it grows.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        storage = Storage(size: size)
    }

    /// Makes the slots this table's own (a copy of the table may share them until one of the two writes).
    @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { copyStorage() }
    }

    /// Makes room for `more` new keys (call `makeUnique` first, before a run of writes); the slots and mask read
    /// afterwards stay valid until the next call.
    @inline(__always)
    mutating func reserve(_ more: Int) {
        if (count + more) * 2 > storage.size { grow(to: count + more) }
    }

    var slots: UnsafeMutablePointer<Slot> { storage.slots }
    var mask: Int { storage.size - 1 }

    /// Writes the home slot of `key(k)` to `homes[k]` for `k` in `0..<n`, and starts loading each slot.
    @inline(__always)
    func prefetchHomes(_ n: Int, key: (Int) -> UInt64, into homes: UnsafeMutablePointer<Int>) {
        let slots = storage.slots, mask = storage.size - 1
        for k in 0..<n {
            let h = KeyTable.hash(key(k)) & mask
            homes[k] = h
            Prefetch.read(slots + h)
        }
    }

    /// The slot holding `key`, or the empty slot where it goes, probing from its home slot.
    @inline(__always)
    func slot(for key: UInt64, from home: Int) -> UnsafeMutablePointer<Slot> {
        let slots = storage.slots, mask = storage.size - 1
        var i = home
        while true {
            let found = slots[i].key
            if found == key || found == 0 { return slots + i }
            i = (i &+ 1) & mask
        }
    }

    /// Calls `body` with every filled slot, in slot order.
    @inline(__always)
    func forEachSlot(_ body: (Slot) -> Void) {
        let slots = storage.slots
        for i in 0..<storage.size where slots[i].key != 0 { body(slots[i]) }
    }

    private mutating func copyStorage() {
        let fresh = Storage(size: storage.size)
        fresh.slots.update(from: storage.slots, count: storage.size)
        storage = fresh
    }

    private mutating func grow(to needed: Int) {
        var size = storage.size
        while size < needed * 2 { size <<= 1 }
        let fresh = Storage(size: size)
        let mask = size - 1
        let old = storage.slots
        for i in 0..<storage.size {
            let key = old[i].key
            if key == 0 { continue }
            var j = KeyTable.hash(key) & mask
            while fresh.slots[j].key != 0 { j = (j &+ 1) & mask }
            fresh.slots[j] = old[i]
        }
        storage = fresh
    }
}
