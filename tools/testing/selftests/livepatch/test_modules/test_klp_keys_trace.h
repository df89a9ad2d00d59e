/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tracepoint that test_klp_keys_target defines (with
 * CREATE_TRACE_POINTS) and that test_klp_keys_mod's patched function
 * calls, as the target's own function does.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM test_klp_keys

#if !defined(_TEST_KLP_KEYS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TEST_KLP_KEYS_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(test_klp_keys_event,
	    TP_PROTO(int value),
	    TP_ARGS(value),
	    TP_STRUCT__entry(__field(int, value)),
	    TP_fast_assign(__entry->value = value;),
	    TP_printk("value=%d", __entry->value)
);

#endif /* _TEST_KLP_KEYS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE test_klp_keys_trace
#include <trace/define_trace.h>
