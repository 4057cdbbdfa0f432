/*
 * lsan.h - LeakSanitizer told to look away (the sanitizer build only)
 * around calls into libraries whose allocations are theirs: librrd keeps
 * fontconfig's caches for the life of the process, and leaks the names
 * of the data sources it fetched through rrdcached while drawing a graph
 * (rrd_graph with --daemon); neither is ours to report.
 */
#ifndef NP_LSAN_H
#define NP_LSAN_H

#if defined(__SANITIZE_ADDRESS__)
#define NP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NP_LSAN 1
#endif
#endif
#ifdef NP_LSAN
#include <sanitizer/lsan_interface.h>
#define NP_LSAN_DISABLE() __lsan_disable()
#define NP_LSAN_ENABLE() __lsan_enable()
#else
#define NP_LSAN_DISABLE() ((void)0)
#define NP_LSAN_ENABLE() ((void)0)
#endif

#endif
