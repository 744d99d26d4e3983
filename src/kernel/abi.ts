// The numbers of the wasi_snapshot_preview1 ABI: errnos, file types, flags, rights and the
// layouts of the structs the guest hands us. Written once here; every area imports them.

export const enum Errno {
  SUCCESS = 0, TOOBIG = 1, ACCES = 2, ADDRINUSE = 3, ADDRNOTAVAIL = 4, AFNOSUPPORT = 5, AGAIN = 6,
  ALREADY = 7, BADF = 8, BADMSG = 9, BUSY = 10, CANCELED = 11, CHILD = 12, CONNABORTED = 13,
  CONNREFUSED = 14, CONNRESET = 15, DEADLK = 16, DESTADDRREQ = 17, DOM = 18, DQUOT = 19, EXIST = 20,
  FAULT = 21, FBIG = 22, HOSTUNREACH = 23, IDRM = 24, ILSEQ = 25, INPROGRESS = 26, INTR = 27,
  INVAL = 28, IO = 29, ISCONN = 30, ISDIR = 31, LOOP = 32, MFILE = 33, MLINK = 34, MSGSIZE = 35,
  MULTIHOP = 36, NAMETOOLONG = 37, NETDOWN = 38, NETRESET = 39, NETUNREACH = 40, NFILE = 41,
  NOBUFS = 42, NODEV = 43, NOENT = 44, NOEXEC = 45, NOLCK = 46, NOLINK = 47, NOMEM = 48, NOMSG = 49,
  NOPROTOOPT = 50, NOSPC = 51, NOSYS = 52, NOTCONN = 53, NOTDIR = 54, NOTEMPTY = 55,
  NOTRECOVERABLE = 56, NOTSOCK = 57, NOTSUP = 58, NOTTY = 59, NXIO = 60, OVERFLOW = 61, OWNERDEAD = 62,
  PERM = 63, PIPE = 64, PROTO = 65, PROTONOSUPPORT = 66, PROTOTYPE = 67, RANGE = 68, ROFS = 69,
  SPIPE = 70, SRCH = 71, STALE = 72, TIMEDOUT = 73, TXTBSY = 74, XDEV = 75, NOTCAPABLE = 76,
}

export const enum Filetype {
  UNKNOWN = 0, BLOCK_DEVICE = 1, CHARACTER_DEVICE = 2, DIRECTORY = 3, REGULAR_FILE = 4,
  SOCKET_DGRAM = 5, SOCKET_STREAM = 6, SYMBOLIC_LINK = 7,
}

export const enum ClockId { REALTIME = 0, MONOTONIC = 1, PROCESS_CPUTIME = 2, THREAD_CPUTIME = 3 }
/** Clock ids at or past this are EINVAL. */
export const CLOCK_COUNT = 4;

export const enum Whence { SET = 0, CUR = 1, END = 2 }

export const enum OFlags { CREAT = 1, DIRECTORY = 2, EXCL = 4, TRUNC = 8 }

export const enum FdFlags { APPEND = 1, DSYNC = 2, NONBLOCK = 4, RSYNC = 8, SYNC = 16 }
export const FDFLAGS_ALL = 31;

export const enum LookupFlags { SYMLINK_FOLLOW = 1 }

export const enum FstFlags { ATIM = 1, ATIM_NOW = 2, MTIM = 4, MTIM_NOW = 8 }

export const enum EventType { CLOCK = 0, FD_READ = 1, FD_WRITE = 2 }

export const enum SubclockFlags { ABSTIME = 1 }

export const enum PreopenType { DIR = 0 }

/** Rights, as bits. All 30 fit in a JS number, so they are kept as numbers, not BigInts. */
export const enum Right {
  FD_DATASYNC = 1 << 0, FD_READ = 1 << 1, FD_SEEK = 1 << 2, FD_FDSTAT_SET_FLAGS = 1 << 3,
  FD_SYNC = 1 << 4, FD_TELL = 1 << 5, FD_WRITE = 1 << 6, FD_ADVISE = 1 << 7, FD_ALLOCATE = 1 << 8,
  PATH_CREATE_DIRECTORY = 1 << 9, PATH_CREATE_FILE = 1 << 10, PATH_LINK_SOURCE = 1 << 11,
  PATH_LINK_TARGET = 1 << 12, PATH_OPEN = 1 << 13, FD_READDIR = 1 << 14, PATH_READLINK = 1 << 15,
  PATH_RENAME_SOURCE = 1 << 16, PATH_RENAME_TARGET = 1 << 17, PATH_FILESTAT_GET = 1 << 18,
  PATH_FILESTAT_SET_SIZE = 1 << 19, PATH_FILESTAT_SET_TIMES = 1 << 20, FD_FILESTAT_GET = 1 << 21,
  FD_FILESTAT_SET_SIZE = 1 << 22, FD_FILESTAT_SET_TIMES = 1 << 23, PATH_SYMLINK = 1 << 24,
  PATH_REMOVE_DIRECTORY = 1 << 25, PATH_UNLINK_FILE = 1 << 26, POLL_FD_READWRITE = 1 << 27,
  SOCK_SHUTDOWN = 1 << 28, SOCK_ACCEPT = 1 << 29,
}
export const RIGHTS_ALL = (1 << 30) - 1;

/** What a regular file's descriptor may do. */
export const RIGHTS_FILE =
  Right.FD_DATASYNC | Right.FD_READ | Right.FD_SEEK | Right.FD_FDSTAT_SET_FLAGS | Right.FD_SYNC |
  Right.FD_TELL | Right.FD_WRITE | Right.FD_ADVISE | Right.FD_ALLOCATE | Right.FD_FILESTAT_GET |
  Right.FD_FILESTAT_SET_SIZE | Right.FD_FILESTAT_SET_TIMES | Right.POLL_FD_READWRITE;

/** What a directory's descriptor may do. */
export const RIGHTS_DIR =
  Right.FD_FDSTAT_SET_FLAGS | Right.FD_SYNC | Right.FD_ADVISE | Right.PATH_CREATE_DIRECTORY |
  Right.PATH_CREATE_FILE | Right.PATH_LINK_SOURCE | Right.PATH_LINK_TARGET | Right.PATH_OPEN |
  Right.FD_READDIR | Right.PATH_READLINK | Right.PATH_RENAME_SOURCE | Right.PATH_RENAME_TARGET |
  Right.PATH_FILESTAT_GET | Right.PATH_FILESTAT_SET_SIZE | Right.PATH_FILESTAT_SET_TIMES |
  Right.FD_FILESTAT_GET | Right.FD_FILESTAT_SET_TIMES | Right.PATH_SYMLINK |
  Right.PATH_REMOVE_DIRECTORY | Right.PATH_UNLINK_FILE;

/** What a character device's descriptor (stdio, /dev/null) may do: no seeking, so libc sees a tty-like stream. */
export const RIGHTS_DEVICE =
  Right.FD_READ | Right.FD_WRITE | Right.FD_FDSTAT_SET_FLAGS | Right.FD_SYNC | Right.FD_DATASYNC |
  Right.FD_ADVISE | Right.FD_FILESTAT_GET | Right.FD_FILESTAT_SET_TIMES | Right.POLL_FD_READWRITE;

/** Struct sizes and field offsets (wasm32). */
export const enum Layout {
  IOVEC_SIZE = 8,
  FDSTAT_SIZE = 24,
  FILESTAT_SIZE = 64,
  PRESTAT_SIZE = 8,
  DIRENT_SIZE = 24,
  SUBSCRIPTION_SIZE = 48,
  EVENT_SIZE = 32,
}

/** Signals (WASI numbering) whose default action is to do nothing: raising them does not end the VM. */
export const IGNORED_SIGNALS = new Set([0 /* NONE */, 16 /* CHLD */, 17 /* CONT */, 22 /* URG */, 27 /* WINCH */]);
export const SIGNAL_COUNT = 31;
