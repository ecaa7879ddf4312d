"""Wrong answers for the quiz, one per autograded question: each replaces one solution cell.

Each is in the right format (so the visible checks pass) and is a plausible mistake,
often the study guide's own imprecise claim; each must lose exactly its question's points.
The essays are graded by hand and have no variant.
"""

WRONG = {
    # one EBS volume per user profile instead of per space
    "q1": 'q1 = {"classic": "b", "studio": "a"}',
    # the study guide's claim: Code Editor is Microsoft's branded VS Code
    "q2": 'q2 = "a"',
    # believes the instance lives (and bills) as long as the space exists
    "q3": 'q3 = {"b", "c", "d", "e"}',
    # believes collaborators get private copies that are merged on save
    "q4": 'q4 = {"a", "b", "c"}',
    # pulls the image before the instance it is pulled onto exists
    "q5": 'q5 = ["d", "e", "b", "c", "a"]',
    # the study guide's list: endpoints, EMR and S3, forgetting the EBS volume
    "q6": 'q6 = {"b", "d", "f"}',
    # keeps refactoring in JupyterLab
    "q7": """
q7 = {
    "statistician": "RStudio",
    "analyst": "Canvas",
    "tracking": "MLflow",
    "engineer": "JupyterLab",
    "licence": "RStudio",
}
""",
    # thinks today's Studio still sets everything up automatically, as Classic did
    "q8": 'q8 = {"classic": "b", "studio": "b"}',
    # the study guide's claim: private spaces are hidden even from administrators
    "q9": 'q9 = {"a", "d", "g"}',
    # believes mounting the EFS detaches the EBS home
    "q10": 'q10 = "d"',
    # swaps Canvas and Data Wrangler
    "glossary-1": 'glossary_1 = {1: "d", 2: "a", 3: "c", 4: "f", 5: "g", 6: "b", 7: "e"}',
    # swaps private and shared space
    "glossary-2": 'glossary_2 = {8: "j", 9: "n", 10: "h", 11: "m", 12: "l", 13: "k", 14: "i"}',
    # swaps EBS and EFS
    "glossary-3": 'glossary_3 = {15: "p", 16: "u", 17: "r", 18: "t", 19: "o", 20: "s", 21: "q"}',
}
