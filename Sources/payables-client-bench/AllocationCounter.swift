// Counts heap allocations of the whole process, for the decoding figures.
//
// This file is also compiled, unchanged, into the Apple-types decoder that
// Benchmarks/client-bench.sh builds, so that both sides are counted the same way.
//
// How: the executable defines `malloc`, `calloc` and `realloc` itself. Each adds to two
// counters and hands the call to glibc's own entry points (`__libc_malloc`, ...), so the
// allocator is still glibc's and `free` (not replaced) stays correct. The executable must
// export these definitions so that the dynamic linker binds libswiftCore's, Foundation's and
// libc's own calls to them (ELF interposition, as glibc's manual describes for replacing
// malloc): the benchmark script links with `-Xlinker --export-dynamic`. Built without it the
// counters never move: `AllocationCounter.isLive` says so and the figures print as n/a.
// The definitions are compiled only with `-DPAYABLES_COUNT_ALLOCATIONS` (the script passes it),
// so the everyday build (`swift build`, `swift test`) has no `malloc` of its own and no warning.
// (swiftc warns that the name `malloc` is reserved for the runtime: defining it is the point.
// `__libc_*` are declared with `@_silgen_name`; with pointer and integer arguments only, the
// Swift and C calling conventions pass them in the same registers on x86_64 and arm64.)
// `posix_memalign`/`aligned_alloc` (over-aligned requests, which Swift makes only for
// alignments above 16) are not counted.
import Synchronization

@_silgen_name("__libc_malloc") private func libcMalloc(_ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_calloc") private func libcCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_realloc") private func libcRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer?

private let allocationCalls = Atomic<Int>(0)
private let allocationBytes = Atomic<Int>(0)

#if PAYABLES_COUNT_ALLOCATIONS
@_cdecl("malloc")
public func benchCountingMalloc(_ size: Int) -> UnsafeMutableRawPointer? {
    allocationCalls.add(1, ordering: .relaxed)
    allocationBytes.add(size, ordering: .relaxed)
    return libcMalloc(size)
}

@_cdecl("calloc")
public func benchCountingCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    allocationCalls.add(1, ordering: .relaxed)
    allocationBytes.add(count &* size, ordering: .relaxed)
    return libcCalloc(count, size)
}

/// A `realloc` counts as one allocation (it may move the block).
@_cdecl("realloc")
public func benchCountingRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    allocationCalls.add(1, ordering: .relaxed)
    allocationBytes.add(size, ordering: .relaxed)
    return libcRealloc(pointer, size)
}
#endif

enum AllocationCounter {
    /// Allocations and bytes requested so far, by every thread.
    static func snapshot() -> (calls: Int, bytes: Int) {
        (allocationCalls.load(ordering: .relaxed), allocationBytes.load(ordering: .relaxed))
    }

    /// The linker flags that route the process's allocations here.
    static let linkerFlags = "-Xlinker --export-dynamic"

    /// Whether the runtime's allocations reach the counters (the executable exports `malloc`).
    static let isLive: Bool = {
        let before = snapshot().calls
        // swift_allocObject (libswiftCore) calls malloc through libswiftCore's own PLT entry;
        // the object escapes to a global, so it cannot be moved to the stack.
        probeSink = AllocationProbe()
        let live = snapshot().calls > before
        probeSink = nil
        return live
    }()
}

private final class AllocationProbe {}
nonisolated(unsafe) private var probeSink: AllocationProbe?
