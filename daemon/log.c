#include "build-config.h"

#include "daemon/log.h"
