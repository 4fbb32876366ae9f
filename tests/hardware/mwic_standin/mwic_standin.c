/* A stand-in for the Mingwah (明华) reader library mwic_32.dll, for the card host's tests.
 *
 * Same exported names and parameter shapes as the vendor header mwic_32.h (HANDLE icdev,
 * __int16 offset/len, unsigned char *buffer; 0 = success, negative = error), cdecl here on Linux
 * (the vendor DLL is stdcall on 32-bit Windows). Behind it: one reader slot and an in-memory
 * SLE4442 (256 bytes main memory, 32 protection bits, 3-byte PSC, error counter), behaving like the
 * chip where it hurts: writes without a verified PSC and writes to protected bytes are silently
 * ignored (the chip does not answer them), every PSC attempt spends an attempt first.
 *
 * Fault controls (standin_*) are extra exports the tests call through ctypes: load / remove a card,
 * pull the card after n bytes of the next write, make the reader stop answering, a card that is
 * not an SLE4442. Every export takes one mutex: the host calls the library from its thread while
 * the test drives the controls from its own.
 *
 * Build: cc -shared -fPIC -o libmwic_standin.so mwic_standin.c -lpthread
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

typedef intptr_t HANDLE;

/* The vendor documents only "0 = OK, < 0 = error"; these numbers are ours, and the host must not
 * depend on them (it asks the reader what happened). */
#define ERR_COMM (-0x10)
#define ERR_HANDLE (-0x11)
#define ERR_NO_CARD (-0x20)
#define ERR_PARAM (-0x21)
#define ERR_NOT_4442 (-0x22)
#define ERR_PSC (-0x30)
#define ERR_REMOVED (-0x31)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static HANDLE open_handle = 0;
static int in_slot = 0;
static int verified = 0;
static int not_4442 = 0;
static int pull_after = -1; /* next swr_4442 stops after n bytes and the card leaves */
static int comm_fail = 0;   /* this many next calls fail as if the cable were out */
static int write_fail = 0;  /* the next swr_4442 fails without writing, the card stays */
static unsigned char memory[256];
static uint32_t protection = 0; /* bit i set = byte i still writable (SLE4442: 0 = protected) */
static unsigned char psc[3] = {0xFF, 0xFF, 0xFF};
static int error_counter = 7; /* raw bits: one set bit per attempt left */

#define LOCKED_CALL(body) \
    do { \
        short rc_; \
        pthread_mutex_lock(&lock); \
        rc_ = (body); \
        pthread_mutex_unlock(&lock); \
        return rc_; \
    } while (0)

static short gate(HANDLE icdev) {
    if (comm_fail > 0) {
        comm_fail--;
        return ERR_COMM;
    }
    if (icdev <= 0 || icdev != open_handle) return ERR_HANDLE;
    return 0;
}

static short card_gate(HANDLE icdev) {
    short rc = gate(icdev);
    if (rc) return rc;
    if (!in_slot) return ERR_NO_CARD;
    if (not_4442) return ERR_NOT_4442;
    return 0;
}

static int writable(int address) {
    return address >= 32 || ((protection >> address) & 1u);
}

static void leave_slot(void) {
    in_slot = 0;
    verified = 0;
}

/* --- the vendor API ------------------------------------------------------------------------ */

HANDLE ic_init(short port, unsigned long baud) {
    HANDLE h;
    pthread_mutex_lock(&lock);
    if (comm_fail > 0 || port < 0 || baud == 0) {
        if (comm_fail > 0) comm_fail--;
        h = ERR_COMM;
    } else {
        open_handle = open_handle > 0 ? open_handle + 1 : 1;
        h = open_handle;
    }
    pthread_mutex_unlock(&lock);
    return h;
}

static short do_exit(HANDLE icdev) {
    if (icdev != open_handle) return ERR_HANDLE;
    open_handle = -open_handle; /* the next ic_init gets a new number */
    return 0;
}
short ic_exit(HANDLE icdev) { LOCKED_CALL(do_exit(icdev)); }

short lib_ver(char *ver) {
    strcpy(ver, "SIM mwic_32 stand-in 1.0");
    return 0;
}

static short do_get_status(HANDLE icdev, short *state) {
    short rc = gate(icdev);
    if (rc) return rc;
    *state = (short)in_slot;
    return 0;
}
short get_status(HANDLE icdev, short *state) { LOCKED_CALL(do_get_status(icdev, state)); }

static short do_beep(HANDLE icdev, short time) {
    (void)time;
    return gate(icdev);
}
short dv_beep(HANDLE icdev, short time) { LOCKED_CALL(do_beep(icdev, time)); }

static short do_chk(HANDLE icdev) { return card_gate(icdev); }
short chk_4442(HANDLE icdev) { LOCKED_CALL(do_chk(icdev)); }

static short do_srd(HANDLE icdev, short offset, short len, unsigned char *buf) {
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (offset < 0 || len < 1 || offset + len > 256) return ERR_PARAM;
    memcpy(buf, memory + offset, (size_t)len);
    return 0;
}
short srd_4442(HANDLE icdev, short offset, short len, unsigned char *buf) {
    LOCKED_CALL(do_srd(icdev, offset, len, buf));
}

static short do_swr(HANDLE icdev, short offset, short len, unsigned char *buf) {
    int i, limit;
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (offset < 0 || len < 1 || offset + len > 256) return ERR_PARAM;
    if (write_fail) {
        write_fail = 0;
        return ERR_COMM;
    }
    limit = (pull_after >= 0 && pull_after < len) ? pull_after : len;
    for (i = 0; i < limit; i++) {
        if (verified && writable(offset + i)) memory[offset + i] = buf[i];
    }
    if (pull_after >= 0) {
        pull_after = -1;
        leave_slot();
        return ERR_REMOVED;
    }
    return 0;
}
short swr_4442(HANDLE icdev, short offset, short len, unsigned char *buf) {
    LOCKED_CALL(do_swr(icdev, offset, len, buf));
}

static short do_prd(HANDLE icdev, short len, unsigned char *buf) {
    int i;
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (len != 4) return ERR_PARAM;
    for (i = 0; i < 4; i++) buf[i] = (unsigned char)(protection >> (8 * i));
    return 0;
}
short prd_4442(HANDLE icdev, short len, unsigned char *buf) { LOCKED_CALL(do_prd(icdev, len, buf)); }

static short do_pwr(HANDLE icdev, short offset, short len, unsigned char *buf) {
    int i;
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (offset < 0 || len < 1 || offset + len > 32) return ERR_PARAM;
    for (i = 0; i < len; i++) {
        /* SLE4442: protects a byte only when the compare data matches its content. */
        if (verified && memory[offset + i] == buf[i]) protection &= ~(1u << (offset + i));
    }
    return 0;
}
short pwr_4442(HANDLE icdev, short offset, short len, unsigned char *buf) {
    LOCKED_CALL(do_pwr(icdev, offset, len, buf));
}

static short do_csc(HANDLE icdev, short len, unsigned char *buf) {
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (len != 3) return ERR_PARAM;
    if ((error_counter & 7) == 0) return ERR_PSC;
    /* SLE4442 order: an attempt is spent first, all three come back only on a match. */
    error_counter = error_counter == 7 ? 6 : (error_counter << 1) & 6;
    verified = memcmp(buf, psc, 3) == 0;
    if (!verified) return ERR_PSC;
    error_counter = 7;
    return 0;
}
short csc_4442(HANDLE icdev, short len, unsigned char *buf) { LOCKED_CALL(do_csc(icdev, len, buf)); }

static short do_wsc(HANDLE icdev, short len, unsigned char *buf) {
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (len != 3) return ERR_PARAM;
    if (verified) memcpy(psc, buf, 3);
    return 0;
}
short wsc_4442(HANDLE icdev, short len, unsigned char *buf) { LOCKED_CALL(do_wsc(icdev, len, buf)); }

static short do_rsc(HANDLE icdev, short len, unsigned char *buf) {
    short rc = card_gate(icdev);
    if (rc) return rc;
    if (len != 3) return ERR_PARAM;
    if (verified) memcpy(buf, psc, 3);
    else memset(buf, 0, 3);
    return 0;
}
short rsc_4442(HANDLE icdev, short len, unsigned char *buf) { LOCKED_CALL(do_rsc(icdev, len, buf)); }

static short do_rsct(HANDLE icdev, short *counter) {
    short rc = card_gate(icdev);
    if (rc) return rc;
    *counter = (short)(error_counter & 7);
    return 0;
}
short rsct_4442(HANDLE icdev, short *counter) { LOCKED_CALL(do_rsct(icdev, counter)); }

/* --- fault controls (tests only) ----------------------------------------------------------- */

void standin_reset(void) {
    pthread_mutex_lock(&lock);
    leave_slot();
    not_4442 = 0;
    pull_after = -1;
    comm_fail = 0;
    write_fail = 0;
    memset(memory, 0xFF, sizeof memory);
    protection = 0;
    memset(psc, 0xFF, 3);
    error_counter = 7;
    pthread_mutex_unlock(&lock);
}

/* Put a card image in the reader's memory; `insert` also places it in the slot (a new session:
 * not verified). Without `insert` the image is replaced in place (a test editing the card). */
void standin_load(const unsigned char *mem, uint32_t prot, const unsigned char *new_psc, int ec, int insert) {
    pthread_mutex_lock(&lock);
    memcpy(memory, mem, sizeof memory);
    protection = prot;
    memcpy(psc, new_psc, 3);
    error_counter = ec & 7;
    if (insert) {
        in_slot = 1;
        verified = 0;
    }
    pthread_mutex_unlock(&lock);
}

/* Copy the card image out (also after the card was pulled: the image is what the card holds). */
int standin_image(unsigned char *mem, uint32_t *prot, unsigned char *out_psc, int *ec) {
    int present;
    pthread_mutex_lock(&lock);
    memcpy(mem, memory, sizeof memory);
    *prot = protection;
    memcpy(out_psc, psc, 3);
    *ec = error_counter;
    present = in_slot;
    pthread_mutex_unlock(&lock);
    return present;
}

void standin_remove(void) {
    pthread_mutex_lock(&lock);
    leave_slot();
    pthread_mutex_unlock(&lock);
}

void standin_pull_after(int n) {
    pthread_mutex_lock(&lock);
    pull_after = n;
    pthread_mutex_unlock(&lock);
}

void standin_fail_comm(int n) {
    pthread_mutex_lock(&lock);
    comm_fail = n;
    pthread_mutex_unlock(&lock);
}

void standin_fail_next_write(void) {
    pthread_mutex_lock(&lock);
    write_fail = 1;
    pthread_mutex_unlock(&lock);
}

void standin_not_4442(int on) {
    pthread_mutex_lock(&lock);
    not_4442 = on;
    pthread_mutex_unlock(&lock);
}
