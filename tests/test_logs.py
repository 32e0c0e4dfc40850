"Progress output written to a file (a CI log, `colorful-world demo > log`): one line per epoch, no progress bars."
import re, subprocess


def test_demo_log_outside_a_terminal_is_one_line_per_epoch(tmp_path):
    log = tmp_path/'log'
    with open(log, 'w') as f:  # stdout is a file, not a terminal
        r = subprocess.run(['colorful-world', 'demo', '--epochs', '3', '--out', str(tmp_path/'run')], stdout=f,
                           stderr=subprocess.PIPE, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    text = log.read_text(encoding='utf-8')
    assert len(text.encode()) < 20_000, len(text.encode())
    assert '\r' not in text and '█' not in text  # no bar updates
    epochs = [l for l in text.splitlines() if re.match(r'epoch \d+/\d+ ', l)]
    assert [l.split()[1] for l in epochs] == ['1/3', '2/3', '3/3'], text
