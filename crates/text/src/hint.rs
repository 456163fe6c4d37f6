//! A hint to the processor, shared by the hot loops of the crates that read texts.

/// Asks for the cache line at `x` ahead of its use: a hint, with no effect off x86-64.
/// Any address will do (a prefetch never faults), so a loop can ask for an item a few
/// places ahead of the one it works on. lectio's counting asks for the cache entry of the
/// next words this way, and its sort and CSV writer for rows and terms that lie scattered
/// over the heap.
#[inline]
pub fn prefetch<T>(x: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is only a hint to the processor, which ignores an address it
    // cannot read.
    unsafe {
        std::arch::x86_64::_mm_prefetch(x.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}
