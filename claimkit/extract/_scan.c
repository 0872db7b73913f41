/* One-pass scans over every abstract, in C. numbers.py keeps pure-Python equivalents for
 * builds without a C compiler; tests/test_compiled.py compares the two.
 *
 * find_words(text, words): every occurrence of each word in text, in one pass.
 *
 * The number-word scan (numbers.py) looks for a dozen trigger words in every abstract;
 * a str.find per word reads the text a dozen times. This reads it once, testing each
 * character against tables of the words' first three letters. The words are lower-case
 * ASCII of 3 or more characters; the text's ASCII capitals match them as lower case
 * (no other case folding, so offsets are the text's own). Returns [(start, word index)]
 * in text order, overlaps included: what str.find per word finds in the text with A-Z
 * lowered. numbers.py keeps that pure-Python equivalent for builds without a C compiler.
 *
 * words(text, names_only): the words benchmarks.py reads names from, in one pass.
 *
 * A word is what the pattern \w(?:[\w.+\-/'’]*[\w+])? matches (a trailing "'s" or "’s" is
 * not part of it); with names_only, only the words that may start a name: not lower-case ASCII
 * letters alone ("the"), not a plain number ("28.1"). Returns [(start, end)] in text order;
 * benchmarks.py keeps the pure-Python equivalent.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define MAX_WORDS 64
#define FOLD(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))  /* ASCII capitals to lower case */

/* failed = NAME_ucs1/2/4(the text's characters, length, ...), by the text's kind. */
#define BY_KIND(failed, text, NAME, ...)                                                         \
    do {                                                                                         \
        const Py_ssize_t length_ = PyUnicode_GET_LENGTH(text);                                   \
        switch (PyUnicode_KIND(text)) {                                                          \
        case PyUnicode_1BYTE_KIND:                                                               \
            failed = NAME##_ucs1(PyUnicode_1BYTE_DATA(text), length_, __VA_ARGS__);              \
            break;                                                                               \
        case PyUnicode_2BYTE_KIND:                                                               \
            failed = NAME##_ucs2(PyUnicode_2BYTE_DATA(text), length_, __VA_ARGS__);              \
            break;                                                                               \
        default:                                                                                 \
            failed = NAME##_ucs4(PyUnicode_4BYTE_DATA(text), length_, __VA_ARGS__);              \
        }                                                                                        \
    } while (0)

/* Append a new reference to a list, giving it up; -1 on failure (including item == NULL). */
static int
append_new(PyObject *found, PyObject *item)
{
    if (item == NULL)
        return -1;
    int failed = PyList_Append(found, item);
    Py_DECREF(item);
    return failed;
}

/* One loop per string kind, so the compiler sees plain arrays (no kind switch per character). */
#define DEFINE_SCAN(NAME, CHAR)                                                              \
    static int NAME(const CHAR *data, Py_ssize_t length, const Py_UCS1 *const *needles,       \
                    const Py_ssize_t *lengths, const uint64_t (*first)[128], PyObject *found) \
    {                                                                                         \
        for (Py_ssize_t at = 0; at + 2 < length; at++) {                                      \
            CHAR a = data[at];                                                                \
            if (a >= 128 || first[0][a] == 0) /* most characters stop here */                 \
                continue;                                                                     \
            CHAR b = data[at + 1], c = data[at + 2];                                          \
            if (b >= 128 || c >= 128)                                                         \
                continue;                                                                     \
            uint64_t fits = first[0][a] & first[1][b] & first[2][c];                          \
            for (uint64_t candidates = fits; candidates; candidates &= candidates - 1) {      \
                int index = __builtin_ctzll(candidates);                                      \
                Py_ssize_t size = lengths[index], k = 1;                                      \
                if (at + size > length)                                                       \
                    continue;                                                                 \
                while (k < size && FOLD(data[at + k]) == needles[index][k])                   \
                    k++;                                                                      \
                if (k == size && append_new(found, Py_BuildValue("(ni)", at, index)) < 0)     \
                    return -1;                                                                \
            }                                                                                 \
        }                                                                                     \
        return 0;                                                                             \
    }

DEFINE_SCAN(scan_ucs1, Py_UCS1)
DEFINE_SCAN(scan_ucs2, Py_UCS2)
DEFINE_SCAN(scan_ucs4, Py_UCS4)

static PyObject *
find_words(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *words;
    if (!PyArg_ParseTuple(args, "UO!:find_words", &text, &PyTuple_Type, &words))
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(words);
    if (count > MAX_WORDS) {
        PyErr_Format(PyExc_ValueError, "find_words: at most %d words", MAX_WORDS);
        return NULL;
    }
    const Py_UCS1 *needles[MAX_WORDS];
    Py_ssize_t lengths[MAX_WORDS];
    /* letter -> bit set of the words with that letter first, second, third: a position is
       compared only when its three characters fit some word, which few do. */
    uint64_t first[3][128] = {{0}};
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PyTuple_GET_ITEM(words, i);
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) < 3) {
            PyErr_SetString(PyExc_ValueError, "find_words: words must be ASCII strings of 3 or more characters");
            return NULL;
        }
        needles[i] = PyUnicode_1BYTE_DATA(word);
        lengths[i] = PyUnicode_GET_LENGTH(word);
        for (Py_ssize_t k = 0; k < lengths[i]; k++) {
            if (needles[i][k] >= 'A' && needles[i][k] <= 'Z') {
                PyErr_SetString(PyExc_ValueError, "find_words: words must be lower case");
                return NULL;
            }
        }
        for (int k = 0; k < 3; k++) {  /* each letter in both cases: no folding in the hot loop */
            first[k][needles[i][k]] |= (uint64_t)1 << i;
            if (needles[i][k] >= 'a' && needles[i][k] <= 'z')
                first[k][needles[i][k] - 32] |= (uint64_t)1 << i;
        }
    }
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    int failed;
    BY_KIND(failed, text, scan, needles, lengths, (const uint64_t (*)[128])first, found);
    if (failed) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

/* digit_runs(text): the offset of the first digit (0-9) of each run of digits, in text order.
 * numbers.py matches its number pattern there instead of letting a regex scan the text. */
#define DEFINE_RUNS(NAME, CHAR)                                                                 \
    static int NAME(const CHAR *data, Py_ssize_t length, PyObject *found)                        \
    {                                                                                            \
        int previous_digit = 0;                                                                  \
        for (Py_ssize_t at = 0; at < length; at++) {                                             \
            int digit = data[at] >= '0' && data[at] <= '9';                                      \
            if (digit && !previous_digit && append_new(found, PyLong_FromSsize_t(at)) < 0)       \
                return -1;                                                                       \
            previous_digit = digit;                                                              \
        }                                                                                        \
        return 0;                                                                                \
    }

DEFINE_RUNS(runs_ucs1, Py_UCS1)
DEFINE_RUNS(runs_ucs2, Py_UCS2)
DEFINE_RUNS(runs_ucs4, Py_UCS4)

static PyObject *
digit_runs(PyObject *Py_UNUSED(self), PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "digit_runs: text must be a str");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    int failed;
    BY_KIND(failed, text, runs, found);
    if (failed) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

/* \w as Python's re reads it in a str pattern: alphanumeric (str.isalnum) or underscore. */
#define IS_WORD(c) ((c) == '_' || Py_UNICODE_ISALNUM(c))
#define IS_INSIDE(c) (IS_WORD(c) || (c) == '.' || (c) == '+' || (c) == '-' || (c) == '/' || (c) == '\'' || (c) == 0x2019)
#define IS_LAST(c) (IS_WORD(c) || (c) == '+')

#define DEFINE_WORDS(NAME, CHAR)                                                                  \
    static int NAME(const CHAR *data, Py_ssize_t length, int names_only, PyObject *found)         \
    {                                                                                             \
        Py_ssize_t at = 0;                                                                        \
        while (at < length) {                                                                     \
            Py_UCS4 c = data[at];                                                                 \
            if (!IS_WORD(c)) {                                                                    \
                at++;                                                                             \
                continue;                                                                         \
            }                                                                                     \
            Py_ssize_t start = at, end = at + 1, last = at + 1; /* last: end of the match */      \
            while (end < length && IS_INSIDE((Py_UCS4)data[end])) {                               \
                if (IS_LAST((Py_UCS4)data[end]))                                                  \
                    last = end + 1;                                                               \
                end++;                                                                            \
            }                                                                                     \
            at = last;                                                                            \
            Py_ssize_t stop = last;                                                               \
            if (stop - start >= 3 && data[stop - 1] == 's' &&                                     \
                (data[stop - 2] == '\'' || data[stop - 2] == 0x2019))                             \
                stop -= 2; /* "Foo's": the word is "Foo" */                                       \
            if (names_only) { /* skip "the", "gpt4", "and/or" and "28.1", as benchmarks.py does */ \
                int lower = 0, other = 0, number = data[start] >= '0' && data[start] <= '9';      \
                for (Py_ssize_t k = start; k < last; k++) {                                       \
                    Py_UCS4 d = data[k];                                                          \
                    if (d >= 'a' && d <= 'z')                                                     \
                        lower = 1;                                                                \
                    else if ((d >= 'A' && d <= 'Z') || d >= 128 || d == '-')                      \
                        other = 1;                                                                \
                    if (!((d >= '0' && d <= '9') || d == '.'))                                    \
                        number = 0;                                                               \
                }                                                                                 \
                if ((lower && !other) || number)                                                  \
                    continue;                                                                     \
            }                                                                                     \
            if (append_new(found, Py_BuildValue("(nn)", start, stop)) < 0)                        \
                return -1;                                                                        \
        }                                                                                         \
        return 0;                                                                                 \
    }

DEFINE_WORDS(words_ucs1, Py_UCS1)
DEFINE_WORDS(words_ucs2, Py_UCS2)
DEFINE_WORDS(words_ucs4, Py_UCS4)

static PyObject *
words(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    int names_only;
    if (!PyArg_ParseTuple(args, "Up:words", &text, &names_only))
        return NULL;
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    int failed;
    BY_KIND(failed, text, words, names_only, found);
    if (failed) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

static PyMethodDef methods[] = {
    {"words", words, METH_VARARGS,
     "words(text, names_only) -> [(start, end)]: the words benchmark names are read from, in text order."},
    {"find_words", find_words, METH_VARARGS,
     "find_words(text, words) -> [(start, word index)]: every occurrence of each ASCII word, in text order."},
    {"digit_runs", digit_runs, METH_O,
     "digit_runs(text) -> [offset]: where each run of ASCII digits starts, in text order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "claimkit.extract._scan",
    "One-pass scans the extractor runs on every abstract (find_words, digit_runs, words).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    return PyModule_Create(&module);
}
