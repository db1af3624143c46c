package model

// The SDK's IPC process (Android): --ipc-down-for and --native-lib, and a
// scenario device's native_lib (docs/profiles.md, "What reaches the app").

// parseMissing and formatMissing are --native-lib's and a device's
// native_lib: present, or missing (true).
var parseMissing, formatMissing = boolEnum("present", "missing")
