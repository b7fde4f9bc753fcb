//! The binaries' global allocator: mimalloc, called through its plain
//! (unaligned) entry points for the alignments those guarantee.
//!
//! The `mimalloc` crate's allocator passes every request to
//! `mi_malloc_aligned`, whose extra checks cost about a tenth of each of the
//! generator's ~4 million allocations. mimalloc's plain blocks are aligned
//! to at least 8 bytes (its smallest size class), so requests aligned to 8
//! or less take `mi_malloc`/`mi_realloc`; larger alignments keep the aligned
//! calls.
//!
//! Not part of the library: `main.rs` and the bench's `main.rs` include this
//! file as a module of their own.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The alignment every block of mimalloc's plain calls has.
const PLAIN_ALIGN: usize = 8;

/// A block for `layout` from `plain` where its alignment allows, else from
/// `aligned`.
///
/// # Safety
/// `plain` and `aligned` are mimalloc's allocation calls (taking a size,
/// and a size and an alignment).
#[inline]
unsafe fn new_block(
    layout: Layout,
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: the caller passes mimalloc's calls, which take any size.
    unsafe {
        if layout.align() <= PLAIN_ALIGN {
            plain(layout.size()).cast()
        } else {
            aligned(layout.size(), layout.align()).cast()
        }
    }
}

/// mimalloc as the global allocator (see the module docs).
pub struct Mimalloc;

// SAFETY: every block comes from mimalloc with at least `layout.align()`
// (plain calls only where `PLAIN_ALIGN` covers it), and is freed or resized
// by mimalloc, which accepts blocks of either kind of call.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's entry points take any size.
        unsafe { new_block(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { new_block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the trait's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_zeroed_and_kept_across_resizes() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 9, 24, 100, 4000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed by `a` with
                // its layout, and accessed within its size.
                unsafe {
                    let z = a.alloc_zeroed(layout);
                    assert!(!z.is_null() && z as usize % align == 0, "{size} {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                    let p = a.alloc(layout);
                    assert!(!p.is_null() && p as usize % align == 0, "{size} {align}");
                    for i in 0..size {
                        p.add(i).write(i as u8);
                    }
                    // Grown, then shrunk below the first size: the bytes
                    // both sizes cover are kept, the alignment too.
                    let mut block = p;
                    let mut current = size;
                    for new in [size * 3, size.div_ceil(2)] {
                        let old = Layout::from_size_align(current, align).unwrap();
                        block = a.realloc(block, old, new);
                        assert!(
                            !block.is_null() && block as usize % align == 0,
                            "{size}->{new}"
                        );
                        let kept = size.min(new);
                        assert!((0..kept).all(|i| *block.add(i) == i as u8), "{size}->{new}");
                        current = new;
                    }
                    a.dealloc(block, Layout::from_size_align(current, align).unwrap());
                }
            }
        }
    }
}
