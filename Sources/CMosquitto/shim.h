#ifndef FLEETPILOT_CMOSQUITTO_SHIM_H
#define FLEETPILOT_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
