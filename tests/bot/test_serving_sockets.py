"""How `crm serve` listens: a socket per worker on one address, Nagle off, a taken port said once."""

import pickle
import socket

import pytest

from bot import cli_serve


def test_each_worker_gets_a_socket_of_its_own_on_the_address_with_nagle_off() -> None:
    with cli_serve._own_socket("127.0.0.1", 0, shared=True) as guard:
        port = guard.getsockname()[1]
        first = pickle.loads(pickle.dumps(cli_serve._WorkerSocket("127.0.0.1", port)))
        second = pickle.loads(pickle.dumps(cli_serve._WorkerSocket("127.0.0.1", port)))
        with first, second:
            assert first.fileno() != second.fileno()
            assert first.getsockname()[1] == second.getsockname()[1] == port
            first.listen()
            with socket.create_connection(("127.0.0.1", port)) as client:
                accepted, _ = first.accept()
                with accepted, client:
                    assert accepted.proto == socket.IPPROTO_TCP  # what asyncio needs to set TCP_NODELAY


def test_a_port_taken_stops_the_start_with_one_line(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(SystemExit) as stopped:
            cli_serve.run_uvicorn("bot.asgi:create_app", "127.0.0.1", taken.getsockname()[1], 2, 1)
    assert stopped.value.code == 3
    assert any("cannot listen on 127.0.0.1" in record.getMessage() for record in caplog.records)
