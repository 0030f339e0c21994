#ifndef VIGIL_DAEMON_LOG_H
#define VIGIL_DAEMON_LOG_H
#endif
