"""The idle timeout counts from the last thing a person did: a scan is activity, like a touch."""


def test_a_scan_every_twenty_seconds_keeps_a_thirty_second_session_alive(flow, monotonic):
    assert flow.config.ui.idle_timeout_s == 30
    flow.scan("0123456789")
    for code in ("TK.00001", "TK.00002", "TK.00003", "ZZZZ-1", "TK.00004"):  # 100 s in all
        monotonic.advance(20)
        flow.tick()
        assert flow.screen == "borrow", code
        flow.scan(code)  # a book, or a code nobody knows: still someone at the kiosk
    monotonic.advance(29)
    flow.tick()
    assert flow.screen == "borrow"
    monotonic.advance(1)  # 30 s since the last scan
    flow.tick()
    assert flow.screen == "home"
