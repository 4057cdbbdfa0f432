/*
 * log_event.h - the "event DEVICE KIND SEVERITY: TEXT" notice line of
 * every event, bounded: at most LOG_EVENT_BURST lines a second; past that
 * the events are counted by kind and said in one summary line when the
 * second ends ("312 more events in 1.0 s not logged: port.down 300,
 * trap.storm 12"). Every event still reaches the store and the findings;
 * only the log is summarised. On the loop's thread only.
 */
#ifndef NP_LOG_EVENT_H
#define NP_LOG_EVENT_H

#define LOG_EVENT_BURST 20

struct event_base;

/* The loop whose timer says the summary when a flood stops (NULL: the
 * summary waits for the next event, as in the unit tests). */
void log_event_base(struct event_base *);
void log_event(const char *device, const char *kind, const char *severity,
    const char *text);
/* Say what is pending now (at stop). */
void log_event_flush(void);
/* Lines written and events not logged, since start. */
unsigned long log_event_logged(void);
unsigned long log_event_suppressed(void);

#endif
