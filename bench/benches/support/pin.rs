//! Client and servers on CPUs of their own, so the servers' work neither shares a core with the
//! clients nor lands in their CPU time (softirqs, cache).

/// The CPU the clients run on and the one the servers run on, when the machine has two or more.
pub const CLIENT_CPU: usize = 0;
pub const SERVER_CPU: usize = 1;

/// Pins this process's calling thread (and every thread it starts afterwards) to `cpu`; false when the
/// machine has fewer CPUs or the kernel refuses.
pub fn pin_to(cpu: usize) -> bool {
    if std::thread::available_parallelism().map_or(1, usize::from) <= cpu {
        return false;
    }
    // SAFETY: `set` is a plain bit set the kernel reads; pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}
