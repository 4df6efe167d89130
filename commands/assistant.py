"""`cli.py assistant ask`: one grounded answer from the terminal (template answer unless --llm)."""
from __future__ import annotations

import argparse

from commands.common import add_command, json_text, runtime, user
from settings import get_settings


def build_llm_from_settings(state_dir, device: str):
    from ml.device import select_device
    from ml.llm import build_llm

    settings = get_settings()
    return build_llm(backend=settings.llm_backend, cache_dir=state_dir / "llm-cache", device=select_device(device),
                     model_dir=settings.llm_model_dir, endpoint=settings.llm_endpoint, model=settings.llm_model,
                     api_key=settings.llm_api_key)


def ask(args: argparse.Namespace) -> int:
    from services import assistant

    rt = runtime()
    settings = get_settings()
    strong = settings.llm_backend in ("local", "openai")
    llm = build_llm_from_settings(rt.state_dir, rt.device) if (args.llm or (strong and not args.no_llm)) else None
    embedder = None
    if not args.no_embeddings:
        from ml.embeddings import LazyEmbedder

        embedder = LazyEmbedder()
    # --new starts the conversation afresh: earlier turns are ignored, and the next question builds on this one
    reply = assistant.answer(rt, args.question, user=user(), dataset=args.dataset, conversation_id=args.conversation,
                             llm=llm, embedder=embedder, planner=llm if strong and llm is not None else None,
                             fresh=args.new)
    if args.json:
        print(json_text(reply.payload(), ensure_ascii=False))
    else:
        print(reply.answer)
        if reply.query:
            print(f"\nquery: {reply.query}\nrows: {len(reply.rows)}")
    return 0


def register(groups) -> None:
    group = groups.add_parser("assistant", help="ask questions about your data, runs and the app")
    commands = group.add_subparsers(dest="command", required=True)
    sub = add_command(commands, "ask", ask, "answer one question with the rows behind it")
    sub.add_argument("question")
    sub.add_argument("--dataset", help="dataset name or id (default: the best match, else the most recent)")
    sub.add_argument("--conversation", default="cli", help="conversation id for follow-ups (default: cli)")
    sub.add_argument("--new", action="store_true", help="start the conversation afresh: earlier turns are ignored")
    sub.add_argument("--llm", action="store_true", help="let the configured model rephrase the answer")
    sub.add_argument("--no-llm", action="store_true", help="template answers only, even with a strong model")
    sub.add_argument("--no-embeddings", action="store_true", help="skip MiniLM matching (faster start)")
