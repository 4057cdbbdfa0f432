# /etc/cron.d/netpatrol - netpatrol's reports by mail (contrib/cron).
# The daemon runs the plans of /etc/netpatrold.conf ("daily" at 06:00,
# "weekly" on Monday at 07:00); these jobs mail their reports to root
# (set your addresses with -t). A report that cannot be made or sent
# fails the job, and cron mails root what it printed.
MAILTO=root
PATH=/usr/sbin:/usr/bin:/sbin:/bin
# m  h  dom mon dow user      command
15   6  *   *   *   netpatrol [ -x /usr/libexec/netpatrol/np-report-mail ] && /usr/libexec/netpatrol/np-report-mail -t root -s "daily inspection report" -- report daily --format html
30   7  *   *   1   netpatrol [ -x /usr/libexec/netpatrol/np-report-mail ] && /usr/libexec/netpatrol/np-report-mail -t root -s "weekly compliance report" -- report compliance --weekly
0    8  1   *   *   netpatrol [ -x /usr/libexec/netpatrol/np-report-mail ] && /usr/libexec/netpatrol/np-report-mail -t root -s "monthly KPIs" -- kpi --month "$(date -d yesterday +\%Y-\%m)"
